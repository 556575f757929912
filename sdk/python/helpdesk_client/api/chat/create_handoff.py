from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.server_frame_type_0 import ServerFrameType0
from ...models.server_frame_type_1 import ServerFrameType1
from ...models.server_frame_type_2 import ServerFrameType2
from ...models.server_frame_type_3 import ServerFrameType3
from ...models.server_frame_type_4 import ServerFrameType4
from ...models.server_frame_type_5 import ServerFrameType5
from ...models.server_frame_type_6 import ServerFrameType6
from ...models.server_frame_type_7 import ServerFrameType7
from ...models.server_frame_type_8 import ServerFrameType8
from ...types import Response


def _get_kwargs(
    id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/chat/sessions/{id}/handoff".format(
            id=quote(str(id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    Problem
    | ServerFrameType0
    | ServerFrameType1
    | ServerFrameType2
    | ServerFrameType3
    | ServerFrameType4
    | ServerFrameType5
    | ServerFrameType6
    | ServerFrameType7
    | ServerFrameType8
):
    if response.status_code == 201:

        def _parse_response_201(
            data: object,
        ) -> (
            ServerFrameType0
            | ServerFrameType1
            | ServerFrameType2
            | ServerFrameType3
            | ServerFrameType4
            | ServerFrameType5
            | ServerFrameType6
            | ServerFrameType7
            | ServerFrameType8
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_server_frame_type_0 = ServerFrameType0.from_dict(data)

                return componentsschemas_server_frame_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_server_frame_type_1 = ServerFrameType1.from_dict(data)

                return componentsschemas_server_frame_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_server_frame_type_2 = ServerFrameType2.from_dict(data)

                return componentsschemas_server_frame_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_server_frame_type_3 = ServerFrameType3.from_dict(data)

                return componentsschemas_server_frame_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_server_frame_type_4 = ServerFrameType4.from_dict(data)

                return componentsschemas_server_frame_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_server_frame_type_5 = ServerFrameType5.from_dict(data)

                return componentsschemas_server_frame_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_server_frame_type_6 = ServerFrameType6.from_dict(data)

                return componentsschemas_server_frame_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_server_frame_type_7 = ServerFrameType7.from_dict(data)

                return componentsschemas_server_frame_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_server_frame_type_8 = ServerFrameType8.from_dict(data)

            return componentsschemas_server_frame_type_8

        response_201 = _parse_response_201(response.json())

        return response_201

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    Problem
    | ServerFrameType0
    | ServerFrameType1
    | ServerFrameType2
    | ServerFrameType3
    | ServerFrameType4
    | ServerFrameType5
    | ServerFrameType6
    | ServerFrameType7
    | ServerFrameType8
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[
    Problem
    | ServerFrameType0
    | ServerFrameType1
    | ServerFrameType2
    | ServerFrameType3
    | ServerFrameType4
    | ServerFrameType5
    | ServerFrameType6
    | ServerFrameType7
    | ServerFrameType8
]:
    """Hand a chat over to a person (opens a ticket)

    Args:
        id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ServerFrameType0 | ServerFrameType1 | ServerFrameType2 | ServerFrameType3 | ServerFrameType4 | ServerFrameType5 | ServerFrameType6 | ServerFrameType7 | ServerFrameType8]
    """

    kwargs = _get_kwargs(
        id=id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> (
    Problem
    | ServerFrameType0
    | ServerFrameType1
    | ServerFrameType2
    | ServerFrameType3
    | ServerFrameType4
    | ServerFrameType5
    | ServerFrameType6
    | ServerFrameType7
    | ServerFrameType8
    | None
):
    """Hand a chat over to a person (opens a ticket)

    Args:
        id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ServerFrameType0 | ServerFrameType1 | ServerFrameType2 | ServerFrameType3 | ServerFrameType4 | ServerFrameType5 | ServerFrameType6 | ServerFrameType7 | ServerFrameType8
    """

    return sync_detailed(
        id=id,
        client=client,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[
    Problem
    | ServerFrameType0
    | ServerFrameType1
    | ServerFrameType2
    | ServerFrameType3
    | ServerFrameType4
    | ServerFrameType5
    | ServerFrameType6
    | ServerFrameType7
    | ServerFrameType8
]:
    """Hand a chat over to a person (opens a ticket)

    Args:
        id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ServerFrameType0 | ServerFrameType1 | ServerFrameType2 | ServerFrameType3 | ServerFrameType4 | ServerFrameType5 | ServerFrameType6 | ServerFrameType7 | ServerFrameType8]
    """

    kwargs = _get_kwargs(
        id=id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> (
    Problem
    | ServerFrameType0
    | ServerFrameType1
    | ServerFrameType2
    | ServerFrameType3
    | ServerFrameType4
    | ServerFrameType5
    | ServerFrameType6
    | ServerFrameType7
    | ServerFrameType8
    | None
):
    """Hand a chat over to a person (opens a ticket)

    Args:
        id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ServerFrameType0 | ServerFrameType1 | ServerFrameType2 | ServerFrameType3 | ServerFrameType4 | ServerFrameType5 | ServerFrameType6 | ServerFrameType7 | ServerFrameType8
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
        )
    ).parsed
